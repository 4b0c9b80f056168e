package dev.klpsim.modules;

import dev.klpsim.api.Kernel;
import dev.klpsim.livepatch.KlpObject;

/** callback_info() shared by the callback demos: the object and its module state. */
final class CallbackInfo {
    private CallbackInfo() {}

    static void print(Kernel k, String callback, KlpObject obj) {
        if (obj.mod != null) k.prInfo(callback + ": " + obj.mod.name + " -> " + obj.mod.state.description);
        else k.prInfo(callback + ": vmlinux");
    }
}
