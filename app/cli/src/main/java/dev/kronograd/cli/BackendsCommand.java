package dev.kronograd.cli;

import dev.kronograd.backend.BackendStatus;
import dev.kronograd.sdk.Kronograd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code kronograd backends}: every backend on the class path, fastest first, with its
 * availability — for an available native backend the library file actually loaded, for an
 * unavailable one the reason and the fix — and which one is selected ({@code *}).
 *
 * <p>When the requested backend ({@code --backend}, property or environment) cannot be used, the
 * listing is still printed (with {@code auto}'s choice marked) so the user can see why, and then
 * the error follows with exit code 2.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Lists the linear-algebra backends and their availability.",
                "",
                "For each backend: its speed rank, and the native library actually loaded or why it is "
                        + "unavailable and how to fix that. '*' marks the backend in use."})
final class BackendsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;

    @Override
    public Integer call() {
        Kronograd kronograd;
        RuntimeException requestFailed = null;
        try {
            kronograd = sdk.kronograd();
        } catch (RuntimeException e) {
            if (!KronogradCli.isUserError(e)) {
                throw e;
            }
            requestFailed = e; // an unknown or unavailable backend: list anyway, then report it
            kronograd = sdk.kronograd("auto"); // throws too if no backend at all is available
        }
        PrintWriter out = spec.commandLine().getOut();
        List<BackendStatus> backends = kronograd.backendListing();
        int nameWidth = "BACKEND".length();
        for (BackendStatus b : backends) {
            nameWidth = Math.max(nameWidth, b.name().length());
        }
        String row = "%s %-" + nameWidth + "s  %4s  %s%n";
        out.printf(row, " ", "BACKEND", "RANK", "STATUS");
        for (BackendStatus b : backends) {
            out.printf(row, b.name().equals(kronograd.backendName()) ? "*" : " ", b.name(), b.speedRank(),
                    KronogradCli.oneLine(b.availability().toString()));
        }
        out.println();
        out.println((requestFailed != null ? "auto would select: " : "selected: ") + kronograd.backendName()
                + " — " + KronogradCli.oneLine(kronograd.backendDetail()));
        out.flush();
        if (requestFailed != null) {
            throw requestFailed;
        }
        return KronogradCli.EXIT_OK;
    }
}
