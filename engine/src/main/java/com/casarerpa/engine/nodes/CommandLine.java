package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.NodeFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns RunCommandNode's {@code command}/{@code args} into an argument list the way CasareRPA
 * does (POSIX shell-style words: quotes and backslashes, no expansion) and applies its safety
 * rules unless {@code allow_dangerous}.
 */
final class CommandLine {
    private static final Set<String> BLOCKED = Set.of("rm", "del", "format", "fdisk", "mkfs", "wget", "curl",
            "invoke-webrequest", "nc", "netcat", "ncat", "powershell", "pwsh", "cmd", "reg", "regedit", "net", "sc",
            "shutdown", "reboot");
    private static final String SHELL_METACHARACTERS = "|&;$`(){}<>\n";

    private CommandLine() {}

    static void checkAllowed(String command, boolean shell) {
        // the first word as written: a Windows path keeps its backslashes here
        String first = command.strip().split("\\s+", 2)[0].replace("\"", "").replace("'", "");
        String base = baseName(first);
        if (BLOCKED.contains(base)) {
            throw new NodeFailure("CommandBlocked", "Command '" + base + "' is blocked; set allow_dangerous to run it", false);
        }
        if (shell) {
            for (char c : SHELL_METACHARACTERS.toCharArray()) {
                if (command.indexOf(c) >= 0) {
                    throw new NodeFailure("CommandBlocked", "shell command contains '" + (c == '\n' ? "\\n" : String.valueOf(c))
                            + "'; set allow_dangerous to allow shell operators", false);
                }
            }
        }
    }

    private static String baseName(String word) {
        String name = word.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".exe", ".cmd", ".bat"}) {
            if (name.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    /** Splits into words: whitespace separates, '...' is literal, "..." allows \" and \\, \x escapes outside quotes. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw NodeFailure.config("unbalanced quote in command: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
