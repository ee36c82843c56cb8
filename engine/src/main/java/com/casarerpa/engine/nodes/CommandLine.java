package com.casarerpa.engine.nodes;

import com.casarerpa.engine.node.NodeFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns RunCommandNode's {@code command}/{@code args} text into an argument list the way
 * CasareRPA does: POSIX shell-style words (quotes and backslashes), without expansion. The words
 * go to the program as its argv; no shell sees them.
 */
final class CommandLine {
    private CommandLine() {}

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
