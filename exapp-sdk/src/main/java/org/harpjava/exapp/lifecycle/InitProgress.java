package org.harpjava.exapp.lifecycle;

/** Reports how far the initialisation is; reports are throttled, so call it as often as convenient. */
@FunctionalInterface
public interface InitProgress {
    /** @param percent 0 to 99; 100 is reported when the task returns */
    void report(int percent);
}
