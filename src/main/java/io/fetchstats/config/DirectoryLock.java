package io.fetchstats.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive claim on a lock file, for as long as it is open or the process lives: the operating
 * system releases it when the process ends, kill -9 included, so a crashed holder never blocks a
 * restart. The holder writes its process id into the file, for the message of whoever is refused.
 */
public final class DirectoryLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code lockFile} (creating it and its directories), or returns the process
   * holding it: the current one when this JVM holds it already.
   */
  public static Result tryAcquire(Path lockFile) {
    try {
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return new Result(null, holderOf(lockFile));
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      channel.force(false);
      return new Result(new DirectoryLock(channel, lock), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + lockFile, e);
    }
  }

  /**
   * The outcome of {@link #tryAcquire}: the lock, or who holds it ("process 1234", or "another
   * process" when it has not written its id yet).
   */
  public record Result(DirectoryLock lock, String holder) {
    public Optional<DirectoryLock> acquired() {
      return Optional.ofNullable(lock);
    }
  }

  private static String holderOf(Path lockFile) {
    try {
      String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
      if (pid.equals(String.valueOf(ProcessHandle.current().pid()))) {
        return "process " + pid + " (this one)";
      }
      return pid.matches("[0-9]{1,19}") ? "process " + pid : "another process";
    } catch (IOException e) {
      return "another process";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release a lock", e);
    }
  }
}
