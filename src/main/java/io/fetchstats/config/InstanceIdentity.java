package io.fetchstats.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The instance id a process runs under (its ingest transactional id, its state directories),
 * claimed in its data dir for as long as it runs. Two processes on one host never share one: an id
 * given with --instance-id is refused while another process holds it; without one, a process takes
 * the first free slot of the data dir ({@code instances/auto-1}, {@code auto-2}, ...) and the id
 * kept there, made once of the host name and a random part (so that data dirs, hosts and containers
 * do not share ids either). A restarted process gets its slot and id back, and with them its
 * predecessor's open transaction to abort and its state to reuse.
 */
public final class InstanceIdentity implements AutoCloseable {
  private static final String LOCK_FILE = "instance.lock";
  private static final String ID_FILE = "id";
  private static final int MAX_SLOTS = 1000;

  private final String id;
  private final DirectoryLock lock;

  private InstanceIdentity(String id, DirectoryLock lock) {
    this.id = id;
    this.lock = lock;
  }

  /** Claims {@code configured}, or a slot's id when it is empty. */
  public static InstanceIdentity claim(Path dataDir, String configured) {
    Path instances = dataDir.resolve("instances");
    if (!configured.isEmpty()) {
      DirectoryLock.Result claimed =
          DirectoryLock.tryAcquire(instances.resolve(configured).resolve(LOCK_FILE));
      return new InstanceIdentity(
          configured,
          claimed
              .acquired()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "instance id "
                              + configured
                              + " is in use by "
                              + claimed.holder()
                              + " (data dir "
                              + dataDir
                              + "); give each process its own --instance-id, or leave it unset"
                              + " to get one")));
    }
    for (int slot = 1; slot <= MAX_SLOTS; slot++) {
      Path dir = instances.resolve("auto-" + slot);
      Optional<DirectoryLock> lock = DirectoryLock.tryAcquire(dir.resolve(LOCK_FILE)).acquired();
      if (lock.isPresent()) {
        try {
          return new InstanceIdentity(idOf(dir), lock.get());
        } catch (RuntimeException e) {
          lock.get().close();
          throw e;
        }
      }
    }
    throw new IllegalStateException(
        "all " + MAX_SLOTS + " instance slots of data dir " + dataDir + " are in use");
  }

  /** The slot's id, made when the slot is first used. */
  private static String idOf(Path slot) {
    Path file = slot.resolve(ID_FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!id.isEmpty()) {
          return id;
        }
      }
      byte[] random = new byte[4];
      new SecureRandom().nextBytes(random);
      String id = hostName() + "-" + HexFormat.of().formatHex(random);
      // Written whole or not at all: a crash must not leave half an id to be read back.
      Path partial = slot.resolve(ID_FILE + ".partial");
      Files.writeString(partial, id + "\n", StandardCharsets.UTF_8);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the instance id in " + slot, e);
    }
  }

  /** The host name in the characters an instance id allows, as Docker and Kubernetes set it. */
  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "";
      }
    }
    String safe = host.replaceAll("[^A-Za-z0-9.-]", "-");
    safe = safe.substring(0, Math.min(safe.length(), 60));
    return safe.isEmpty() ? "fetchstats" : safe;
  }

  public String id() {
    return id;
  }

  @Override
  public void close() {
    lock.close();
  }
}
