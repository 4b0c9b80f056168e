package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Errno;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;

/**
 * test_modules/test_klp_state.c (version 1) and test_klp_state2.c / state3.c (version 2,
 * which take over a previous state): a cumulative patch that records console_loglevel in
 * the system state CONSOLE_LOGLEVEL_STATE.
 */
public final class TestKlpState extends BuiltinModule {
    private static final long CONSOLE_LOGLEVEL_STATE = 1;
    private static final int CONSOLE_LOGLEVEL_MOTORMOUTH = 15;
    private final int version;

    public TestKlpState(String name, int version) {
        super(name, true);
        this.version = version;
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: system state modification").author("Petr Mladek <pmladek@suse.com>");
        boolean migrates = version >= 2;
        KlpPatch[] patch = new KlpPatch[1];

        class LoglevelState {
            KlpState own() {
                return k.klpGetState(patch[0], CONSOLE_LOGLEVEL_STATE);
            }

            KlpState prev() {
                return migrates ? k.klpGetPrevState(CONSOLE_LOGLEVEL_STATE) : null;
            }

            int allocate() {
                if (prev() != null) {
                    k.prInfo("allocate_loglevel_state: space to store console_loglevel already allocated");
                    return 0;
                }
                KlpState s = own();
                if (s == null) return Errno.EINVAL.neg();
                s.data = new int[1];
                k.prInfo("allocate_loglevel_state: allocating space to store console_loglevel");
                return 0;
            }

            void fix() {
                KlpState p = prev();
                if (p != null) {
                    KlpState s = own();
                    if (s == null) return;
                    k.prInfo("fix_console_loglevel: taking over the console_loglevel change");
                    s.data = p.data;
                    return;
                }
                KlpState s = own();
                if (s == null) return;
                k.prInfo("fix_console_loglevel: fixing console_loglevel");
                ((int[]) s.data)[0] = k.consoleLoglevel();
                k.setConsoleLoglevel(CONSOLE_LOGLEVEL_MOTORMOUTH);
            }

            void restore() {
                if (prev() != null) {
                    k.prInfo("restore_console_loglevel: passing the console_loglevel change back to the old livepatch");
                    return;
                }
                KlpState s = own();
                if (s == null) return;
                k.prInfo("restore_console_loglevel: restoring console_loglevel");
                k.setConsoleLoglevel(((int[]) s.data)[0]);
            }

            void free() {
                if (prev() != null) {
                    k.prInfo("free_loglevel_state: keeping space to store console_loglevel");
                    return;
                }
                KlpState s = own();
                if (s == null) return;
                k.prInfo("free_loglevel_state: freeing space for the stored console_loglevel");
                s.data = null;
            }
        }
        LoglevelState st = new LoglevelState();

        m.init(() -> {
            patch[0] = k.patch().object(null)
                    .prePatch(o -> {
                        CallbackInfo.print(k, "pre_patch_callback", o);
                        return st.allocate();
                    })
                    .postPatch(o -> {
                        CallbackInfo.print(k, "post_patch_callback", o);
                        st.fix();
                    })
                    .preUnpatch(o -> {
                        CallbackInfo.print(k, "pre_unpatch_callback", o);
                        st.restore();
                    })
                    .postUnpatch(o -> {
                        CallbackInfo.print(k, "post_unpatch_callback", o);
                        st.free();
                    })
                    .replace(true).state(CONSOLE_LOGLEVEL_STATE, version).build();
            return k.klpEnablePatch(patch[0]);
        });
    }
}
