package org.cam4j.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dictionary of a {@code .npy} header, parsed as the Python literal NumPy writes:
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} followed by spaces and a
 * newline. Values are strings, {@code True}/{@code False} or tuples of non-negative integers;
 * anything else is refused with the reason (NumPy itself evaluates the literal, so a header it
 * accepts parses here too). Keys must be exactly descr, fortran_order and shape, as in NumPy's
 * {@code _read_array_header}.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

  /** Thrown with a reason that completes "malformed header: ...". */
  static final class SyntaxError extends Exception {
    SyntaxError(String reason) {
      super(reason, null, false, false);
    }
  }

  static NpyHeader parse(String text) throws SyntaxError {
    Parser p = new Parser(text);
    Map<String, Object> dict = p.dict();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new SyntaxError("unexpected text after the dictionary at character " + p.pos);
    }
    for (String key : List.of("descr", "fortran_order", "shape")) {
      if (!dict.containsKey(key)) {
        throw new SyntaxError("no '" + key + "' key");
      }
    }
    if (dict.size() != 3) {
      List<String> extra = new ArrayList<>(dict.keySet());
      extra.removeAll(List.of("descr", "fortran_order", "shape"));
      throw new SyntaxError("unexpected key '" + extra.get(0) + "'");
    }
    if (!(dict.get("descr") instanceof String descr)) {
      throw new SyntaxError("'descr' is not a string");
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new SyntaxError("'fortran_order' is not True or False");
    }
    if (!(dict.get("shape") instanceof long[] shape)) {
      throw new SyntaxError("'shape' is not a tuple of integers");
    }
    return new NpyHeader(descr, fortran, shape);
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> dict() throws SyntaxError {
      expect('{');
      Map<String, Object> dict = new LinkedHashMap<>();
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          return dict;
        }
        String key = string();
        skipSpace();
        expect(':');
        if (dict.put(key, value()) != null) {
          throw new SyntaxError("key '" + key + "' appears twice");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw new SyntaxError("expected ',' or '}' at character " + pos);
        }
      }
    }

    private Object value() throws SyntaxError {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (s.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      throw new SyntaxError("unexpected value at character " + pos);
    }

    private long[] tuple() throws SyntaxError {
      expect('(');
      List<Long> dims = new ArrayList<>();
      boolean comma = false;
      while (true) {
        skipSpace();
        if (peek() == ')') {
          pos++;
          if (dims.size() == 1 && !comma) {
            throw new SyntaxError("shape (" + dims.get(0) + ") is not a tuple (write ("
                + dims.get(0) + ",))");
          }
          return dims.stream().mapToLong(Long::longValue).toArray();
        }
        dims.add(dimension());
        skipSpace();
        comma = peek() == ',';
        if (comma) {
          pos++;
        } else if (peek() != ')') {
          throw new SyntaxError("expected ',' or ')' in the shape at character " + pos);
        }
      }
    }

    private long dimension() throws SyntaxError {
      int start = pos;
      if (peek() == '-') {
        throw new SyntaxError("the shape has a negative dimension");
      }
      while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
        pos++;
      }
      if (pos == start) {
        throw new SyntaxError("the shape holds a non-integer at character " + start);
      }
      try {
        return Long.parseLong(s.substring(start, pos));
      } catch (NumberFormatException e) {
        throw new SyntaxError("the shape has a dimension too large: " + s.substring(start, pos));
      }
    }

    private String string() throws SyntaxError {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw new SyntaxError("expected a quoted key at character " + pos);
      }
      int end = s.indexOf(quote, pos + 1);
      if (end < 0) {
        throw new SyntaxError("unterminated string at character " + pos);
      }
      String value = s.substring(pos + 1, end);
      pos = end + 1;
      return value;
    }

    private void expect(char c) throws SyntaxError {
      skipSpace();
      if (peek() != c) {
        throw new SyntaxError("expected '" + c + "' at character " + pos);
      }
      pos++;
    }

    private char peek() throws SyntaxError {
      if (pos >= s.length()) {
        throw new SyntaxError("the dictionary ends early");
      }
      return s.charAt(pos);
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }
}
