package dev.kronograd.cli;

import dev.kronograd.activations.RegisteredActivation;
import dev.kronograd.sdk.Kronograd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code kronograd activations}: every activation by name with its implementation class and
 * where it came from (built-in, a class-path jar, a plugin jar), then every plugin problem — a jar
 * or provider that failed to load, with the reason. Problems do not make the command fail: the
 * activations that loaded stay usable.
 */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = {"Lists the activations and any plugin problems.",
                "",
                "For each activation: its implementation class and source (built-in or jar). Then every "
                        + "plugin problem: a jar or provider that failed to load, with the reason."})
final class ActivationsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    private SdkOptions sdk;

    @Override
    public Integer call() {
        Kronograd kronograd = sdk.kronograd();
        PrintWriter out = spec.commandLine().getOut();
        List<RegisteredActivation> activations = kronograd.activationListing();
        int nameWidth = "NAME".length();
        int classWidth = "CLASS".length();
        for (RegisteredActivation a : activations) {
            nameWidth = Math.max(nameWidth, a.name().length());
            classWidth = Math.max(classWidth, a.implementationClass().length());
        }
        String row = "%-" + nameWidth + "s  %-" + classWidth + "s  %s%n";
        out.printf(row, "NAME", "CLASS", "SOURCE");
        for (RegisteredActivation a : activations) {
            out.printf(row, a.name(), a.implementationClass(), a.location());
        }
        List<String> problems = kronograd.pluginProblems();
        out.println();
        out.println(activations.size() + (activations.size() == 1 ? " activation" : " activations") + "; "
                + (problems.isEmpty() ? "no plugin problems." : problems.size() + (problems.size() == 1 ? " plugin problem:" : " plugin problems:")));
        for (String problem : problems) {
            out.println("  " + KronogradCli.oneLine(problem));
        }
        out.flush();
        return KronogradCli.EXIT_OK;
    }
}
