package org.harpjava.exapp.lifecycle;

/**
 * The ExApp's initialisation (downloading models, building indexes), run in the background after AppAPI's
 * {@code POST /init}. Progress goes to Nextcloud, which shows it to the administrator; returning normally reports
 * 100 %, throwing reports the exception's message as the installation error.
 */
@FunctionalInterface
public interface InitTask {
    void run(InitProgress progress) throws Exception;
}
