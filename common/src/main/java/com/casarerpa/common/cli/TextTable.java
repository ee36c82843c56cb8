package com.casarerpa.common.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned with spaces, a header in capitals, like {@code kubectl get}. The last column is
 * not padded, so lines carry no trailing blanks.
 */
public final class TextTable {
    private static final String GAP = "   ";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    public TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    public void print(PrintWriter out) {
        int[] widths = new int[header.size()];
        for (List<String> line : allLines()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : allLines()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = line.get(i);
                text.append(cell);
                if (i < widths.length - 1) {
                    text.append(" ".repeat(widths[i] - cell.length())).append(GAP);
                }
            }
            out.println(text.toString().stripTrailing());
        }
    }

    private List<List<String>> allLines() {
        List<List<String>> lines = new ArrayList<>();
        lines.add(header.stream().map(String::toUpperCase).toList());
        lines.addAll(rows);
        return lines;
    }
}
