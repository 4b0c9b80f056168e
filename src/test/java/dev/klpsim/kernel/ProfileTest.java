package dev.klpsim.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile names and the 7.3 differences each profile has or lacks (decisions.md #47). */
class ProfileTest {
    @Test
    void mainlineAndCurrentNameTheNewestVerifiedProfile() {
        assertEquals(Profile.V7_3, Profile.parse("mainline"));
        assertEquals(Profile.V7_3, Profile.parse("current"));
        assertEquals(Profile.V7_3, Profile.parse("7.3"));
        assertEquals(Profile.SPEC, Profile.DEFAULT);
        assertNull(Profile.parse("6.19"), "no profile claims a version no oracle ran");
        for (String n : Profile.names()) assertTrue(Profile.parse(n) != null, n);
    }

    @Test
    void onlyTheNamedKernelsClaimAVersion() {
        assertEquals("7.3.4-klpsim", Profile.V7_3.release);
        assertEquals("spec-klpsim", Profile.SPEC.release);
    }

    @Test
    void theSevenThreeDifferencesBelongTo73Only() {
        for (Profile p : Profile.values()) {
            boolean v7 = p == Profile.V7_3;
            assertEquals(v7, p.ftraceEnabledDeprecated(), p.option);
            assertEquals(v7, p.schedSwitchFreezable(), p.option);
            assertEquals(v7, p.klpCheckPatchFirst(), p.option);
            assertEquals(v7, p.initPositiveOneLine(), p.option);
            assertEquals(v7, p.paramsValueDebug(), p.option);
            assertEquals(v7, p.sampleDescriptions(), p.option);
        }
        assertTrue(Profile.SPEC.stackOrderAttr());
        assertFalse(Profile.V6_12.stackOrderAttr());
    }

    @Test
    void ftraceEnabledZeroIsRefusedOn73AndWarnsOnce() {
        Machine m = new Machine(opts(Profile.V7_3));
        assertEquals(Errno.EOPNOTSUPP.neg(), m.ftrace.refuseDisable(m.printk));
        assertEquals(Errno.EOPNOTSUPP.neg(), m.ftrace.refuseDisable(m.printk));
        assertTrue(m.ftrace.enabled());
        long warnings = m.printk.records().stream().filter(r -> r.text().contains("ftrace_enabled file is deprecated")).count();
        assertEquals(1, warnings);
    }

    private static MachineOptions opts(Profile p) {
        MachineOptions o = new MachineOptions();
        o.profile = p;
        return o;
    }
}
