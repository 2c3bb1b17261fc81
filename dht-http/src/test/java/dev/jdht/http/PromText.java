package dev.jdht.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), with the checks
 * {@code promtool check metrics} makes on top of parsing: one TYPE and HELP per family before its
 * samples, samples of a family together, no duplicate series, counters named {@code _total},
 * histogram buckets cumulative with {@code le="+Inf"} equal to {@code _count}. Throws
 * {@link IllegalArgumentException} with the line number on the first violation. (The Prometheus
 * Java client writes this format but ships no parser for it.)
 */
final class PromText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample: metric name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** A metric family: its type, help and samples. */
  record Family(String name, String type, String help, List<Sample> samples) {}

  final Map<String, Family> families = new LinkedHashMap<>();

  static PromText parse(String text) {
    PromText p = new PromText();
    p.read(text);
    return p;
  }

  /** The sum of every sample named {@code name} (all label sets); fails if there is none. */
  double sum(String name) {
    double s = 0;
    int n = 0;
    for (Family f : families.values()) {
      for (Sample x : f.samples()) {
        if (x.name().equals(name)) {
          s += x.value();
          n++;
        }
      }
    }
    if (n == 0) {
      throw new AssertionError("no sample named " + name);
    }
    return s;
  }

  /** The value of the one sample with this name and exactly these labels. */
  double value(String name, Map<String, String> labels) {
    for (Family f : families.values()) {
      for (Sample x : f.samples()) {
        if (x.name().equals(name) && x.labels().equals(labels)) {
          return x.value();
        }
      }
    }
    throw new AssertionError("no sample " + name + labels);
  }

  private void read(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a newline");
    }
    Map<String, String> types = new HashMap<>();
    Map<String, String> helps = new HashMap<>();
    Set<String> series = new HashSet<>();
    Set<String> closed = new HashSet<>();
    String currentFamily = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      int no = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String name = parts[2];
          check(NAME.matcher(name).matches(), no, "bad metric name " + name);
          if (parts[1].equals("TYPE")) {
            check(parts.length == 4 && TYPES.contains(parts[3]), no, "bad type in " + line);
            check(!types.containsKey(name), no, "second TYPE for " + name);
            check(!families.containsKey(name) || families.get(name).samples().isEmpty(), no,
                "TYPE after samples of " + name);
            types.put(name, parts[3]);
          } else {
            check(!helps.containsKey(name), no, "second HELP for " + name);
            helps.put(name, parts.length == 4 ? unescapeHelp(parts[3]) : "");
          }
          check(!closed.contains(name), no, "family " + name + " split in two");
          if (currentFamily != null && !currentFamily.equals(name)) {
            closed.add(currentFamily);
          }
          currentFamily = name;
          families.computeIfAbsent(name, n -> new Family(n, null, null, new ArrayList<>()));
        }
        continue;
      }
      Sample s = sample(line, no);
      String family = familyOf(s.name(), types);
      check(!closed.contains(family), no, "samples of " + family + " are not together");
      if (currentFamily != null && !currentFamily.equals(family)) {
        closed.add(currentFamily);
      }
      currentFamily = family;
      check(series.add(s.name() + new TreeMap<>(s.labels())), no, "duplicate series " + s.name() + s.labels());
      families.computeIfAbsent(family, n -> new Family(n, null, null, new ArrayList<>())).samples().add(s);
    }
    Map<String, Family> typed = new LinkedHashMap<>();
    for (Family f : families.values()) {
      String type = types.getOrDefault(f.name(), "untyped");
      Family t = new Family(f.name(), type, helps.get(f.name()), f.samples());
      validate(t);
      typed.put(f.name(), t);
    }
    families.clear();
    families.putAll(typed);
  }

  private static String familyOf(String sample, Map<String, String> types) {
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        String t = types.get(base);
        if ("histogram".equals(t) || "summary".equals(t)) {
          return base;
        }
      }
    }
    return sample;
  }

  private static void validate(Family f) {
    switch (f.type()) {
      case "counter" -> {
        if (!f.name().endsWith("_total")) {
          throw new IllegalArgumentException("counter " + f.name() + " does not end with _total");
        }
        for (Sample s : f.samples()) {
          if (!(s.value() >= 0)) {
            throw new IllegalArgumentException("negative or NaN counter " + s);
          }
        }
      }
      case "histogram" -> validateHistogram(f);
      default -> { }
    }
  }

  private static void validateHistogram(Family f) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new HashMap<>();
    Set<Map<String, String>> sums = new HashSet<>();
    for (Sample s : f.samples()) {
      if (s.name().equals(f.name() + "_bucket")) {
        Map<String, String> key = new TreeMap<>(s.labels());
        if (key.remove("le") == null) {
          throw new IllegalArgumentException("bucket without le: " + s);
        }
        buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      } else if (s.name().equals(f.name() + "_count")) {
        counts.put(new TreeMap<>(s.labels()), s.value());
      } else if (s.name().equals(f.name() + "_sum")) {
        sums.add(new TreeMap<>(s.labels()));
      } else {
        throw new IllegalArgumentException("unexpected sample in histogram " + f.name() + ": " + s);
      }
    }
    for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
      double prevLe = Double.NEGATIVE_INFINITY;
      double prev = 0;
      for (Sample b : e.getValue()) {
        double le = number(b.labels().get("le"));
        if (!(le > prevLe) || b.value() < prev) {
          throw new IllegalArgumentException("buckets of " + f.name() + e.getKey() + " not ascending/cumulative");
        }
        prevLe = le;
        prev = b.value();
      }
      if (prevLe != Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("no le=\"+Inf\" bucket in " + f.name() + e.getKey());
      }
      Double count = counts.get(e.getKey());
      if (count == null || count != prev || !sums.contains(e.getKey())) {
        throw new IllegalArgumentException("_count/_sum missing or != +Inf bucket in " + f.name() + e.getKey());
      }
    }
  }

  private static Sample sample(String line, int no) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    check(NAME.matcher(name).matches(), no, "bad metric name '" + name + "'");
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (true) {
        check(i < line.length(), no, "unterminated labels");
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        check(eq > i, no, "label without '='");
        String ln = line.substring(i, eq);
        check(LABEL.matcher(ln).matches() && !ln.startsWith("__"), no, "bad label name '" + ln + "'");
        i = eq + 1;
        check(i < line.length() && line.charAt(i) == '"', no, "label value not quoted");
        i++;
        StringBuilder v = new StringBuilder();
        while (true) {
          check(i < line.length(), no, "unterminated label value");
          char c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            check(i < line.length(), no, "dangling escape");
            char e = line.charAt(i++);
            check(e == '\\' || e == '"' || e == 'n', no, "bad escape \\" + e);
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
        }
        check(labels.put(ln, v.toString()) == null, no, "label " + ln + " twice");
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        }
      }
    }
    check(i < line.length() && line.charAt(i) == ' ', no, "no value");
    String[] rest = line.substring(i + 1).split(" ");
    check(rest.length == 1 || rest.length == 2, no, "junk after the value");
    double value;
    try {
      value = number(rest[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + no + ": bad value " + rest[0]);
    }
    if (rest.length == 2) {
      try {
        Long.parseLong(rest[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + no + ": bad timestamp " + rest[1]);
      }
    }
    return new Sample(name, labels, value);
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        if (!s.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
          throw new NumberFormatException(s);
        }
        yield Double.parseDouble(s);
      }
    };
  }

  private static String unescapeHelp(String s) {
    return s.replace("\\n", "\n").replace("\\\\", "\\");
  }

  private static void check(boolean ok, int line, String what) {
    if (!ok) {
      throw new IllegalArgumentException("line " + line + ": " + what);
    }
  }
}
