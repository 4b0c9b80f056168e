package dev.klpsim.kernel;

/** enum module_state, with the strings the kselftest callbacks print. */
public enum ModuleState {
    LIVE("[MODULE_STATE_LIVE] Normal state"),
    COMING("[MODULE_STATE_COMING] Full formed, running module_init"),
    GOING("[MODULE_STATE_GOING] Going away"),
    UNFORMED("[MODULE_STATE_UNFORMED] Still setting it up");

    public final String description;

    ModuleState(String description) {
        this.description = description;
    }
}
