package dev.kronograd.backend;

import com.google.inject.Module;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendSelectorTest {

    private final List<String> announced = new ArrayList<>();

    private final UnsatisfiedLinkError linkError = new UnsatisfiedLinkError("libblas.so.3: cannot open shared object file");
    private final FakeProvider nativeBlas = FakeProvider.unavailable("netlib-native", 300,
            "could not load the native BLAS libblas.so.3; Fix: apt-get install libopenblas0-pthread", linkError);
    private final FakeProvider javaBlas = FakeProvider.available("netlib-java", 200);
    private final FakeProvider ejml = FakeProvider.available("ejml", 100);

    private BackendSelector selector(BackendProvider... providers) {
        return new BackendSelector(List.of(providers), announced::add);
    }

    @Test
    void autoPicksTheHighestRankedAvailableBackend() {
        SelectedBackend selected = selector(ejml, FakeProvider.available("netlib-native", 300), javaBlas).select(BackendRequest.auto());
        assertEquals("netlib-native", selected.name());
        assertTrue(selected.reason().startsWith("auto: highest-ranked available backend (rank 300); netlib-native loaded"), selected.reason());
    }

    @Test
    void autoSkipsUnavailableBackendsAndSaysWhy() {
        SelectedBackend selected = selector(ejml, nativeBlas, javaBlas).select(BackendRequest.auto());
        assertEquals("netlib-java", selected.name());
        assertSame(javaBlas.module(), selected.module());
        assertTrue(selected.reason().contains("netlib-native is unavailable: could not load the native BLAS libblas.so.3"), selected.reason());
    }

    @Test
    void autoWithNothingAvailableFailsListingEveryReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> selector(nativeBlas, FakeProvider.unavailable("ejml", 100, "EJML classes missing", null)).select(BackendRequest.auto()));
        assertTrue(e.getMessage().contains("libblas.so.3") && e.getMessage().contains("EJML classes missing"), e.getMessage());
    }

    @Test
    void namedBackendIsChosenEvenWhenAFasterOneIsAvailable() {
        SelectedBackend selected = selector(ejml, javaBlas).select(new BackendRequest("ejml", "--backend"));
        assertEquals("ejml", selected.name());
        assertSame(ejml.module(), selected.module());
        assertEquals("requested by --backend; ejml loaded", selected.reason());
    }

    @Test
    void namedUnavailableBackendFailsWithReasonFixAndCause() {
        BackendRequest request = BackendRequest.resolve(null, new Properties(), Map.of(BackendRequest.ENV, "netlib-native"));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> selector(nativeBlas, javaBlas).select(request));
        assertEquals("netlib-native", e.backend());
        assertSame(linkError, e.getCause(), "the underlying error is kept");
        assertTrue(e.getMessage().contains("environment variable KRONOGRAD_BACKEND"), e.getMessage());
        assertTrue(e.getMessage().contains("libblas.so.3"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install libopenblas0-pthread"), e.getMessage());
        assertTrue(announced.isEmpty(), "nothing is announced when selection fails");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        UnknownBackendException e = assertThrows(UnknownBackendException.class,
                () -> selector(ejml, nativeBlas, javaBlas).select(new BackendRequest("mkl", "--backend")));
        assertEquals(List.of("auto", "netlib-native", "netlib-java", "ejml"), e.known());
        assertEquals("unknown backend 'mkl' (from --backend); known backends: auto, netlib-native, netlib-java, ejml", e.getMessage());
    }

    @Test
    void eachSelectionIsAnnouncedExactlyOnce() {
        BackendSelector selector = selector(ejml, nativeBlas, javaBlas);
        SelectedBackend first = selector.select(BackendRequest.auto());
        assertEquals(List.of("BLAS backend: netlib-java — " + first.reason()), announced);

        selector.select(new BackendRequest("ejml", "--backend"));
        assertEquals(2, announced.size());
        assertEquals("BLAS backend: ejml — requested by --backend; ejml loaded", announced.get(1));
    }

    @Test
    void selectorsShareNoState() {
        List<String> other = new ArrayList<>();
        new BackendSelector(List.of(ejml), other::add).select(BackendRequest.auto());
        selector(javaBlas).select(BackendRequest.auto());
        assertEquals(1, other.size());
        assertEquals(1, announced.size());
        assertTrue(other.get(0).contains("ejml") && announced.get(0).contains("netlib-java"));
    }

    @Test
    void listingShowsEveryBackendFastestFirstWithAvailability() {
        List<BackendStatus> list = selector(ejml, nativeBlas, javaBlas).list();
        assertEquals(List.of("netlib-native", "netlib-java", "ejml"), list.stream().map(BackendStatus::name).toList());
        BackendStatus first = list.get(0);
        assertEquals(300, first.speedRank());
        assertTrue(!first.availability().available() && first.availability().detail().contains("libblas.so.3"));
        assertSame(linkError, first.availability().cause());
        assertTrue(list.get(1).availability().available());
        assertTrue(first.toString().startsWith("netlib-native (rank 300, fake netlib-native): unavailable: could not load"), first.toString());
    }

    @Test
    void duplicateNamesAreAnErrorNamingBothClasses() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> selector(ejml, FakeProvider.available("ejml", 50)));
        assertTrue(e.getMessage().contains("two backends are named 'ejml'"), e.getMessage());
        assertEquals(2, e.getMessage().split(FakeProvider.class.getName(), -1).length - 1, e.getMessage());
    }

    @Test
    void aProviderWhoseAvailabilityThrowsCountsAsUnavailable() {
        IllegalStateException boom = new IllegalStateException("boom");
        BackendProvider throwing = new BackendProvider() {
            @Override public String name() { return "broken"; }
            @Override public int speedRank() { return 900; }
            @Override public String description() { return "breaks its contract"; }
            @Override public Availability availability() { throw boom; }
            @Override public Module module() { return binder -> { }; }
        };
        SelectedBackend selected = selector(throwing, javaBlas).select(BackendRequest.auto());
        assertEquals("netlib-java", selected.name());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> selector(throwing, javaBlas).select(new BackendRequest("broken", "--backend")));
        assertSame(boom, e.getCause());
    }

    @Test
    void availabilityIsAskedOnlyOfBackendsThatMatter() {
        FakeProvider fastest = FakeProvider.available("netlib-native", 300);
        selector(fastest, ejml).select(BackendRequest.auto());
        assertEquals(1, fastest.availabilityCalls.get());
        assertEquals(0, ejml.availabilityCalls.get(), "auto stops at the first available backend");
    }
}
