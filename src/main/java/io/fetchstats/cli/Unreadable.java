package io.fetchstats.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Why a file named on the command line or by a variable could not be read, in a few words. */
final class Unreadable {
  private Unreadable() {}

  /** "cannot read PATH: no such file", "...: permission denied", "...: not UTF-8 text". */
  static String message(String path, IOException e) {
    return "cannot read " + path + ": " + reason(e);
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    String message = e.getMessage();
    if (message != null && message.contains("Is a directory")) {
      return "it is a directory";
    }
    return message == null ? e.toString() : message;
  }
}
