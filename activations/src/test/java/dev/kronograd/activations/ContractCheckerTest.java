package dev.kronograd.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The checker fails deliberately wrong activations, each for the right reason. */
class ContractCheckerTest {

    /** A correct tanh written the plain way, to derive broken variants from. */
    static class PlainTanh implements Activation {
        @Override
        public String name() {
            return "plain-tanh";
        }

        @Override
        public double value(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivative(double z) {
            double c = Math.cosh(z);
            return 1 / (c * c);
        }

        @Override
        public double secondDerivative(double z) {
            return -2 * Math.tanh(z) * derivative(z);
        }
    }

    private static Set<String> failedChecks(ContractReport report) {
        return report.failures().stream().map(ContractReport.Failure::check).collect(Collectors.toSet());
    }

    @Test
    void aCorrectActivationPasses() {
        ContractReport report = ActivationContract.verify(new PlainTanh());
        assertTrue(report.passed(), report::toString);
        assertSame(report, report.assertPassed());
        assertTrue(report.toString().startsWith("activation contract for 'plain-tanh' ("), report::toString);
        assertTrue(report.toString().contains("PASSED"), report::toString);
        assertEquals(PlainTanh.class.getName(), report.implementationClass());
    }

    @Test
    void catchesADerivativeOffByOnePercent() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public double derivative(double z) {
                return 1.01 * super.derivative(z);
            }
        });
        assertFalse(report.passed());
        assertTrue(failedChecks(report).contains("derivative"), report::toString);
        AssertionError error = assertThrows(AssertionError.class, report::assertPassed);
        assertEquals(report.toString(), error.getMessage());
        assertTrue(error.getMessage().contains("FAILED"), error::getMessage);
        ContractReport.Failure f = report.failures().stream().filter(x -> x.check().equals("derivative")).findFirst()
                .orElseThrow();
        assertEquals(1.01, f.actual() / f.expected(), 1e-6, f::toString);
    }

    @Test
    void catchesAWrongSecondDerivative() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public double secondDerivative(double z) {
                return 2 * Math.tanh(z) * derivative(z); // sign error
            }
        });
        assertEquals(Set.of("second derivative"), failedChecks(report), report::toString);
    }

    @Test
    void catchesABadName() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public String name() {
                return "Bad_Name";
            }
        });
        assertEquals(Set.of("name"), failedChecks(report), report::toString);
        assertTrue(report.toString().contains("name 'Bad_Name' does not match [a-z0-9-]+"), report::toString);
    }

    @Test
    void catchesAnUnstableName() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            private int calls;

            @Override
            public String name() {
                return "tanh-" + calls++;
            }
        });
        assertTrue(report.toString().contains("name() is not stable"), report::toString);
    }

    @Test
    void catchesABulkFormThatDisagreesWithTheScalarForm() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public void derivatives(double[] z, int zOff, double[] out, int outOff, int n) {
                for (int i = 0; i < n; i++) {
                    double t = Math.tanh(z[zOff + i]);
                    out[outOff + i] = 1 - t * t; // mathematically equal, not bit for bit (and 0 for |z| > 19)
                }
            }
        });
        assertEquals(Set.of("bulk derivatives", "bulk derivatives in place"), failedChecks(report), report::toString);
    }

    @Test
    void catchesABulkFormThatWritesOutsideItsRange() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public void values(double[] z, int zOff, double[] out, int outOff, int n) {
                for (int i = 0; i <= n && outOff + i < out.length; i++) {
                    out[outOff + i] = value(z[Math.min(zOff + i, z.length - 1)]);
                }
            }
        });
        assertTrue(report.toString().contains("wrote outside its output range"), report::toString);
    }

    @Test
    void catchesOverflowAtLargeInputs() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public double derivative(double z) {
                double e = Math.exp(z); // naive: e/(1+e)² overflows to NaN for z > 709
                return 4 * e * e / ((1 + e * e) * (1 + e * e)) * 1.0;
            }
        });
        assertTrue(failedChecks(report).contains("finite derivative"), report::toString);
    }

    @Test
    void reportsExceptionsAsFailures() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public double secondDerivative(double z) {
                throw new IllegalStateException("not implemented yet");
            }
        });
        assertFalse(report.passed());
        assertTrue(report.toString().contains("threw java.lang.IllegalStateException: not implemented yet"), report::toString);
    }

    /** |z|: σ' jumps at 0. */
    static class Abs implements Activation {
        @Override
        public String name() {
            return "abs";
        }

        @Override
        public double value(double z) {
            return Math.abs(z);
        }

        @Override
        public double derivative(double z) {
            return z > 0 ? 1 : z <= 0 ? -1 : z;
        }

        @Override
        public double secondDerivative(double z) {
            return z == z ? 0 : z;
        }
    }

    @Test
    void kinksMustBeDeclared() {
        ContractReport undeclared = ActivationContract.verify(new Abs());
        // σ' jumps at 0, so near 0 both σ' (vs differences of σ) and σ'' (vs differences of σ') fail
        assertEquals(Set.of("derivative", "second derivative"), failedChecks(undeclared), undeclared::toString);
        ActivationContract.verify(new Abs(), ContractOptions.defaults().withKinks(0)).assertPassed();
        ActivationContract.verify(new Abs() {
            @Override
            public double[] kinks() {
                return new double[] {0};
            }
        }).assertPassed();
    }

    @Test
    void isDeterministicForAGivenSeed() {
        Activation wrong = new PlainTanh() {
            @Override
            public double derivative(double z) {
                return 1.5 * super.derivative(z);
            }
        };
        assertEquals(ActivationContract.verify(wrong).toString(), ActivationContract.verify(wrong).toString());
        assertFalse(ActivationContract.verify(wrong, ContractOptions.defaults().withSeed(99)).toString()
                .equals(ActivationContract.verify(wrong).toString()));
    }

    @Test
    void longReportsAreTruncated() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public double derivative(double z) {
                return 3;
            }
        });
        assertTrue(report.failures().size() > 20);
        assertTrue(report.toString().contains("... and " + (report.failures().size() - 20) + " more"), report::toString);
    }

    /** A stable softplus, log(1 + e^z), correct at every double. */
    static class PlainSoftplus implements Activation {
        @Override
        public String name() {
            return "plain-softplus";
        }

        @Override
        public double value(double z) {
            return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        }

        @Override
        public double derivative(double z) {
            return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        }

        @Override
        public double secondDerivative(double z) {
            return derivative(z) * derivative(-z); // σ(z)(1 − σ(z)) with σ the logistic function
        }
    }

    @Test
    void catchesADerivativeThatIsWrongOnlyBeyondAThousand() {
        ActivationContract.verify(new PlainSoftplus()).assertPassed();
        ContractReport report = ActivationContract.verify(new PlainSoftplus() {
            @Override
            public double derivative(double z) {
                return Math.abs(z) > 1000 ? 0 : super.derivative(z); // a guard against overflow gone wrong: σ' = 1 there
            }

            @Override
            public double secondDerivative(double z) {
                return Math.abs(z) > 1000 ? 0 : super.secondDerivative(z); // right: σ'' underflows to 0 there
            }
        });
        // the random points stay within |z| ≤ 1e3; the far points catch it, at every positive one
        // (at the negative ones σ' really is 0)
        assertEquals(List.of(2e3, 1e4, 1e6, 1e10, 1e20, 1e50, 1e100, 1e200, 1e300),
                report.failures().stream().map(ContractReport.Failure::z).toList(), report::toString);
        assertEquals(Map.of("derivative", 9), report.failureCounts(), report::toString);
        for (ContractReport.Failure f : report.failures()) {
            assertEquals(1.0, f.expected(), 1e-12, f::toString);
            assertEquals(0.0, f.actual(), f::toString);
        }
        assertTrue(report.toString().startsWith("activation contract for 'plain-softplus' (")
                && report.toString().contains("FAILED 9 of ") && report.toString().contains(" checks (derivative: 9)"),
                report::toString);
    }

    @Test
    void failuresAreSortedAndCountedByKind() {
        ContractReport report = ActivationContract.verify(new PlainTanh() {
            @Override
            public double derivative(double z) {
                return 1.5 * super.derivative(z);
            }

            @Override
            public void values(double[] z, int zOff, double[] out, int outOff, int n) {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = -value(z[zOff + i]);
                }
            }
        });
        Map<String, Integer> counts = report.failureCounts();
        assertEquals(report.failures().size(), counts.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(counts.keySet().containsAll(Set.of("bulk values", "derivative")), counts::toString);
        assertEquals(List.copyOf(counts.keySet()), counts.keySet().stream().sorted().toList());
        List<ContractReport.Failure> failures = report.failures();
        for (int i = 1; i < failures.size(); i++) {
            ContractReport.Failure before = failures.get(i - 1);
            ContractReport.Failure after = failures.get(i);
            int byKind = before.check().compareTo(after.check());
            assertTrue(byKind < 0 || byKind == 0 && !(Math.abs(before.z()) > Math.abs(after.z())),
                    "sorted by kind, then |z|: " + before + " before " + after);
        }
        String firstLine = report.toString().lines().findFirst().orElseThrow();
        StringBuilder expected = new StringBuilder();
        counts.forEach((kind, n) -> expected.append(expected.length() == 0 ? "" : ", ").append(kind).append(": ").append(n));
        assertTrue(firstLine.endsWith("FAILED " + failures.size() + " of " + report.checks() + " checks (" + expected + ")"),
                firstLine);
        assertEquals("  " + failures.get(0), report.toString().lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> ContractOptions.defaults().withPoints(0));
        assertThrows(IllegalArgumentException.class, () -> ContractOptions.defaults().withDerivativeTolerance(0));
        assertThrows(IllegalArgumentException.class, () -> ContractOptions.defaults().withSecondDerivativeTolerance(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ContractOptions.defaults().withKinks(Double.POSITIVE_INFINITY));
        ContractOptions o = ContractOptions.defaults().withSeed(5).withPoints(10).withDerivativeTolerance(1e-4).withKinks(1, 2);
        assertEquals(5, o.seed());
        assertEquals(10, o.points());
        assertEquals(1e-4, o.derivativeTolerance());
        assertEquals(ContractOptions.DEFAULT_TOLERANCE, o.secondDerivativeTolerance());
        double[] kinks = o.kinks();
        kinks[0] = 99;
        assertEquals(1, o.kinks()[0]);
    }
}
