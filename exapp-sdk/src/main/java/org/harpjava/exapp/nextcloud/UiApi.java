package org.harpjava.exapp.nextcloud;

/** The ExApp's user interface inside Nextcloud, one small API per kind of element. */
public final class UiApi {
    private final Session session;

    UiApi(Session session) {
        this.session = session;
    }

    /** Entries in Nextcloud's top menu. */
    public TopMenuApi topMenu() {
        return new TopMenuApi(session);
    }

    /** Scripts loaded on the ExApp's top-menu pages. */
    public ScriptsApi scripts() {
        return new ScriptsApi(session);
    }

    /** Styles loaded on the ExApp's top-menu pages. */
    public StylesApi styles() {
        return new StylesApi(session);
    }

    /** Initial state handed to the ExApp's top-menu pages. */
    public InitialStateApi initialState() {
        return new InitialStateApi(session);
    }

    /** Declarative settings forms in Nextcloud's admin or personal settings. */
    public SettingsFormsApi settings() {
        return new SettingsFormsApi(session);
    }

    /** Actions in the Files app's file menu. */
    public FileActionsApi fileActions() {
        return new FileActionsApi(session);
    }
}
