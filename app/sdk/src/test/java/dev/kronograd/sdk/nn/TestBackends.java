package dev.kronograd.sdk.nn;

import com.google.inject.Guice;
import dev.kronograd.backend.BackendProvider;
import dev.kronograd.core.linalg.LinearAlgebra;
import dev.kronograd.core.linalg.ReferenceLinearAlgebra;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Every backend available here (plus core's reference), each obtained as production does: through its Guice module. */
final class TestBackends {
    private TestBackends() {
    }

    static List<LinearAlgebra> available() {
        List<LinearAlgebra> out = new ArrayList<>();
        out.add(ReferenceLinearAlgebra.INSTANCE);
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.availability().available()) {
                out.add(Guice.createInjector(p.module()).getInstance(LinearAlgebra.class));
            }
        }
        return out;
    }
}
