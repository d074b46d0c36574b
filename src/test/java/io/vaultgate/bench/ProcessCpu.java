package io.vaultgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used by the processes a benchmark runs on: this JVM (the client, and the gateway when
 * it runs in-process), the OpenBao server it started, and the system MariaDB server. On a machine whose
 * cores all of them share, a path's CPU per operation bounds its rate more than its latency does.
 * MariaDB's figure counts every client of the server, so it is only this benchmark's on a quiet machine.
 */
final class ProcessCpu {

    /** The parts measured, in the order they are printed. */
    static final String[] PARTS = {"jvm", "openbao", "mariadb"};

    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

    private ProcessCpu() {}

    /** This JVM, its {@code bao} child and the {@code mariadbd} of the machine (a part not found counts 0). */
    static ProcessCpu ofStack() {
        ProcessCpu cpu = new ProcessCpu();
        cpu.processes.put("jvm", ProcessHandle.current());
        ProcessHandle.current()
                .descendants()
                .filter(p -> command(p).endsWith("/bao") || command(p).equals("bao"))
                .findFirst()
                .ifPresent(p -> cpu.processes.put("openbao", p));
        serverOfTheTests().ifPresent(p -> cpu.processes.put("mariadb", p));
        return cpu;
    }

    /** The system MariaDB the tests use (other servers, a loopback cluster's say, may run beside it). */
    private static Optional<ProcessHandle> serverOfTheTests() {
        try {
            long pid = Long.parseLong(
                    Files.readString(Path.of("/run/mysqld/mysqld.pid")).trim());
            return ProcessHandle.of(pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String command(ProcessHandle process) {
        return process.info().command().orElse("");
    }

    /** CPU time used so far by each part. */
    Map<String, Duration> snapshot() {
        Map<String, Duration> used = new LinkedHashMap<>();
        for (String part : PARTS) {
            used.put(
                    part,
                    Optional.ofNullable(processes.get(part))
                            .flatMap(p -> p.info().totalCpuDuration())
                            .orElse(Duration.ZERO));
        }
        return used;
    }

    /** What each part used between two snapshots. */
    static Map<String, Duration> between(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> used = new LinkedHashMap<>();
        for (String part : PARTS) {
            used.put(part, after.get(part).minus(before.get(part)));
        }
        return used;
    }

    static Map<String, Duration> sum(Iterable<Map<String, Duration>> uses) {
        Map<String, Duration> total = new LinkedHashMap<>();
        for (String part : PARTS) {
            total.put(part, Duration.ZERO);
        }
        for (Map<String, Duration> use : uses) {
            use.forEach((part, d) -> total.merge(part, d, Duration::plus));
        }
        return total;
    }
}
