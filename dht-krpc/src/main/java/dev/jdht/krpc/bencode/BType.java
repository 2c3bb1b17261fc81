package dev.jdht.krpc.bencode;

/** The four bencode types. */
public enum BType {
  STRING,
  INTEGER,
  LIST,
  DICT
}
