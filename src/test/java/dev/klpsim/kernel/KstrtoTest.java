package dev.klpsim.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** lib/kstrtox.c parsing as sysfs stores and module parameters see it (lib/kstrtox.c). */
class KstrtoTest {
    @Test
    void kstrtoboolLooksAtTheFirstCharacters() {
        for (String t : new String[] {"1", "1\n", "y", "Y", "yes", "10", "on", "ON", "On\n"})
            assertEquals(Boolean.TRUE, Kstrto.kstrtobool(t, false), t);
        for (String f : new String[] {"0", "0\n", "n", "N", "no", "off", "OFF"})
            assertEquals(Boolean.FALSE, Kstrto.kstrtobool(f, false), f);
        for (String bad : new String[] {"", "\n", "2", "abc", "o", "ox", "-1", " 1"})
            assertNull(Kstrto.kstrtobool(bad, true), bad);
    }

    @Test
    void trueAndFalseSpellingsOnlyOnNewerKernels() {
        assertNull(Kstrto.kstrtobool("t", false));
        assertNull(Kstrto.kstrtobool("false", false));
        assertEquals(Boolean.TRUE, Kstrto.kstrtobool("true", true));
        assertEquals(Boolean.FALSE, Kstrto.kstrtobool("F", true));
    }

    @Test
    void kstrtointTakesBasePrefixesAndOneNewline() {
        assertEquals(-19, Kstrto.kstrtoint("-19\n"));
        assertEquals(16, Kstrto.kstrtoint("0x10"));
        assertEquals(8, Kstrto.kstrtoint("010"));
        assertEquals(0, Kstrto.kstrtoint("0"));
        assertNull(Kstrto.kstrtoint("19\n\n"));
        assertNull(Kstrto.kstrtoint("x19"));
        assertNull(Kstrto.kstrtoint("2147483648"));
        assertNull(Kstrto.kstrtoint(""));
        assertNull(Kstrto.kstrtoint("-"));
    }

    @Test
    void outOfRangeIsErangeAndJunkIsEinval() {
        assertEquals(-34, Kstrto.kstrtoll("2147483648", Integer.MIN_VALUE, Integer.MAX_VALUE).err());
        assertEquals(-34, Kstrto.kstrtoll("-2147483649", Integer.MIN_VALUE, Integer.MAX_VALUE).err());
        assertEquals(-34, Kstrto.kstrtoll("99999999999999999999999", Long.MIN_VALUE, Long.MAX_VALUE).err());
        assertEquals(-22, Kstrto.kstrtoll("99999999999x", Integer.MIN_VALUE, Integer.MAX_VALUE).err());
        assertEquals(-22, Kstrto.kstrtoll("08", Integer.MIN_VALUE, Integer.MAX_VALUE).err());
        assertEquals(-22, Kstrto.kstrtoll("0x", Integer.MIN_VALUE, Integer.MAX_VALUE).err());
        assertEquals(Integer.MIN_VALUE, Kstrto.kstrtoll("-2147483648\n", Integer.MIN_VALUE, Integer.MAX_VALUE).value());
    }
}
