package io.ordinal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Tables for people, JSON for programs. */
final class Output {

    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void json(JsonNode node) {
        try {
            out.println(Http.JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A table: a header row and rows, columns padded to their widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                sb.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    void line(String s) {
        out.println(s);
        out.flush();
    }

    /** A value for a table: its text when it is printable UTF-8, else its Base64 marked as such. */
    static String show(byte[] value) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            if (s.codePoints().allMatch(c -> c >= 0x20 && c != 0x7F)) {
                return s;
            }
        } catch (CharacterCodingException ignored) {
            // shown as Base64
        }
        return "base64:" + Base64.getEncoder().encodeToString(value);
    }

    static String showBase64(String base64) {
        return base64 == null ? "" : show(Base64.getDecoder().decode(base64));
    }
}
