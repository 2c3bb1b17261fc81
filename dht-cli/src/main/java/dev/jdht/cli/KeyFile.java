package dev.jdht.cli;

import dev.jdht.core.bep44.KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * The key files of {@code dht keygen} and {@code dht put --key}: the Ed25519 secret key in hex (64
 * digits for a 32-byte seed, 128 for libtorrent's 64-byte expanded secret key), lines starting
 * with {@code #} ignored; a file of exactly 32 or 64 raw bytes is read as such too. Stateless.
 */
final class KeyFile {
  private KeyFile() {}

  /** The key pair in {@code file}. @throws UsageError if it cannot be read or holds no key */
  static KeyPair read(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageError("cannot read key file " + file + ": " + CliErrors.oneLine(String.valueOf(e.getMessage())), e);
    }
    return KeyPair.fromSecret(parse(raw, file.toString()));
  }

  static byte[] parse(byte[] raw, String name) {
    if (raw.length == 32 || raw.length == 64) {
      String asText = new String(raw, StandardCharsets.ISO_8859_1).strip();
      if (!isHex(asText) || asText.length() != 64) {
        return raw.clone();
      }
    }
    StringBuilder hex = new StringBuilder();
    for (String line : new String(raw, StandardCharsets.ISO_8859_1).split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        hex.append(l);
      }
    }
    String h = hex.toString();
    if (!isHex(h) || (h.length() != 64 && h.length() != 128)) {
      throw new UsageError(name + " holds no key: expected 64 hex digits (a 32-byte Ed25519 seed) or 128 "
          + "(a libtorrent 64-byte secret key)");
    }
    return HexFormat.of().parseHex(h);
  }

  private static boolean isHex(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /**
   * Writes {@code keys} (its seed) to {@code file}, readable by its owner only where the file
   * system allows. @throws UsageError if the file exists and {@code force} is false
   */
  static void write(Path file, KeyPair keys, boolean force) {
    String text = "# dht Ed25519 key (BEP 44): the 32-byte secret seed in hex; keep it private\n"
        + "# public key " + keys.publicKeyHex() + "\n"
        + HexFormat.of().formatHex(keys.secretKey()) + "\n";
    try {
      if (force) {
        Files.deleteIfExists(file);
      }
      Files.createFile(file);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its default permissions stay
      }
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new UsageError(file + " exists (use --force to replace it)");
    } catch (IOException e) {
      throw new UsageError("cannot write key file " + file + ": " + CliErrors.oneLine(String.valueOf(e.getMessage())), e);
    }
  }
}
