package io.pgsnapman.service.dumpworker.steps;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which files below a directory the processes this worker started (the tools and the workers they fork) hold
 * open, read from {@code /proc/<pid>/fd}. Linux only: {@link #ofThisProcess()} is empty elsewhere. A process that
 * ends while it is read is skipped.
 */
final class OpenFiles {

    private static final Path PROC = Path.of("/proc");

    private OpenFiles() {}

    /** The open files of this process's descendants, where {@code /proc} shows them. */
    static Optional<OpenFiles> ofThisProcess() {
        return Files.isDirectory(PROC.resolve("self").resolve("fd")) ? Optional.of(new OpenFiles()) : Optional.empty();
    }

    /** Paths, relative to {@code directory}, of the files below it that a descendant has open now. */
    Set<String> under(Path directory) {
        Path real;
        try {
            real = directory.toRealPath();
        } catch (IOException e) {
            return Set.of();
        }
        Set<String> open = new HashSet<>();
        ProcessHandle.current().descendants().forEach(process -> {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(process.pid())).resolve("fd"))) {
                for (Path fd : fds) {
                    try {
                        Path target = Files.readSymbolicLink(fd);
                        if (target.startsWith(real)) {
                            open.add(real.relativize(target).toString());
                        }
                    } catch (IOException | UnsupportedOperationException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException e) {
                // the process ended meanwhile
            }
        });
        return open;
    }
}
