package dev.klpsim.shell;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a command class or subcommand method: whether a scratch replay of the session (klp
 * preview) runs it again. Commands that only look, or that replay the session themselves,
 * say {@code false}; a command without the annotation is replayed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface Replayable {
    boolean value();
}
