package dev.klpsim.modules;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #26: the user guide's module table names each module's parameters as modinfo lists
 * them (the modules follow the kernel's sources: test_klp_callbacks_demo has
 * pre_patch_ret, only test_klp_callbacks_demo2 has replace). A row that names parameters
 * names one module, so that they cannot be read as another's.
 */
class ModuleTableTest {
    @Test
    void theModuleTableNamesEachModulesOwnParameters() throws Exception {
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String l : Files.readAllLines(Path.of("docs/user-guide.md"))) {
            if (l.startsWith("| module | what it is |")) in = true;
            else if (in && !l.startsWith("|")) break;
            else if (in && !l.startsWith("|---")) rows.add(l);
        }
        assertTrue(rows.size() > 10, "the table: " + rows);
        Sim s = new Sim();
        int checked = 0;
        for (String row : rows) {
            String[] cells = row.split("\\|");
            Matcher pm = Pattern.compile("params? ((?:`[a-z_]+`(?:, )?)+)").matcher(cells[2]);
            if (!pm.find()) continue;
            List<String> mods = new ArrayList<>();
            Matcher mm = Pattern.compile("`([a-z_0-9.*]+)`").matcher(cells[1]);
            while (mm.find()) mods.add(mm.group(1));
            assertEquals(1, mods.size(), "a row with parameters names one module: " + row);
            List<String> parms = new ArrayList<>();
            for (String l : s.run("modinfo " + mods.get(0))) if (l.startsWith("parm:")) parms.add(l.replaceFirst("parm:\\s+", "").replaceFirst(":.*", ""));
            Matcher each = Pattern.compile("`([a-z_]+)`").matcher(pm.group(1));
            while (each.find()) assertTrue(parms.contains(each.group(1)), mods.get(0) + " has no parameter " + each.group(1) + " (modinfo: " + parms + ")");
            checked++;
        }
        assertTrue(checked >= 5, "rows with parameters checked: " + checked);
    }
}
