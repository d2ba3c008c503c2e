package org.harpjava.exapp.nextcloud;

import org.harpjava.exapp.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.harpjava.exapp.nextcloud.Fixture.assertCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UiCallsTest extends AgainstFakeNextcloud {
    private static final String API = "/ocs/v1.php/apps/app_api/api/v1";
    @Test
    void topMenuRegisterGetUnregister() {
        TopMenuApi menu = nc.ui().topMenu();
        menu.register(new TopMenuEntry("main", "Transcriber", "img/app.svg", true));
        assertCall(last(), "POST", API + "/ui/top-menu", "",
                "{\"name\":\"main\",\"displayName\":\"Transcriber\",\"icon\":\"img/app.svg\",\"adminRequired\":1}");
        assertEquals(Optional.of(new TopMenuEntry("main", "Transcriber", "img/app.svg", true)), menu.get("main"));
        assertCall(last(), "GET", API + "/ui/top-menu", "", null);
        assertEquals(Optional.of("main"), last().queryParam("name"));
        assertTrue(menu.unregister("main"));
        assertCall(last(), "DELETE", API + "/ui/top-menu", "", null);
        assertEquals(Optional.of("main"), last().queryParam("name"));
        assertFalse(menu.unregister("main"));
        assertEquals(Optional.empty(), menu.get("main"));
    }

    @Test
    void scriptsStylesAndInitialState() {
        nc.ui().scripts().add("main", "js/main", "viewer");
        assertCall(last(), "POST", API + "/ui/script", "",
                "{\"type\":\"top_menu\",\"name\":\"main\",\"path\":\"js/main\",\"afterAppId\":\"viewer\"}");
        assertTrue(nc.ui().scripts().remove("main", "js/main"));
        assertCall(last(), "DELETE", API + "/ui/script", "", null);
        assertEquals(Map.of("type", List.of("top_menu"), "name", List.of("main"), "path", List.of("js/main"),
                "format", List.of("json")), last().queryParams());
        assertFalse(nc.ui().scripts().remove("main", "js/main"));

        nc.ui().styles().add("main", "css/main");
        assertCall(last(), "POST", API + "/ui/style", "", "{\"type\":\"top_menu\",\"name\":\"main\",\"path\":\"css/main\"}");
        assertTrue(nc.ui().styles().remove("main", "css/main"));
        assertEquals(Optional.of("css/main"), last().queryParam("path"));

        nc.ui().initialState().set("main", "config", Map.of("languages", List.of("en", "de")));
        assertCall(last(), "POST", API + "/ui/initial-state", "",
                "{\"type\":\"top_menu\",\"name\":\"main\",\"key\":\"config\",\"value\":{\"languages\":[\"en\",\"de\"]}}");
        assertThrows(IllegalArgumentException.class, () -> nc.ui().initialState().set("main", "k", "scalar"));
        assertTrue(nc.ui().initialState().remove("main", "config"));
        assertEquals(Optional.of("config"), last().queryParam("key"));
    }

    @Test
    void settingsFormSchemeHasEveryFieldAsAppApiExpects() {
        SettingsForm form = SettingsForm.builder("transcriber_admin", "ai", "Transcriber")
                .section(SettingsForm.Section.ADMIN).description("Speech settings").docUrl("https://docs.example")
                .priority(10)
                .field(SettingsField.builder("model", "Model", SettingsFieldType.SELECT).defaultValue("small")
                        .option("Small", "small").option("Large", "large").build())
                .field(SettingsField.builder("api_key", "API key", SettingsFieldType.PASSWORD)
                        .placeholder("sk-...").sensitive(true).build())
                .field(SettingsField.builder("gpu", "GPU", SettingsFieldType.CHECKBOX).label("Use the GPU")
                        .defaultValue(false).build())
                .field(SettingsField.builder("langs", "Languages", SettingsFieldType.MULTI_CHECKBOX)
                        .defaultValue(Map.of("en", true)).option("English", "en").build())
                .build();
        nc.ui().settings().register(form);
        assertCall(last(), "POST", API + "/ui/settings", "", "{\"formScheme\":{\"id\":\"transcriber_admin\","
                + "\"priority\":10,\"section_type\":\"admin\",\"section_id\":\"ai\",\"title\":\"Transcriber\","
                + "\"description\":\"Speech settings\",\"doc_url\":\"https://docs.example\",\"fields\":["
                + "{\"id\":\"model\",\"title\":\"Model\",\"type\":\"select\",\"default\":\"small\",\"description\":\"\","
                + "\"options\":[{\"name\":\"Small\",\"value\":\"small\"},{\"name\":\"Large\",\"value\":\"large\"}],"
                + "\"placeholder\":\"\",\"label\":\"\",\"notify\":false},"
                + "{\"id\":\"api_key\",\"title\":\"API key\",\"type\":\"password\",\"default\":\"\",\"description\":\"\","
                + "\"options\":[],\"placeholder\":\"sk-...\",\"label\":\"\",\"notify\":false,\"sensitive\":true},"
                + "{\"id\":\"gpu\",\"title\":\"GPU\",\"type\":\"checkbox\",\"default\":false,\"description\":\"\","
                + "\"options\":[],\"placeholder\":\"\",\"label\":\"Use the GPU\",\"notify\":false},"
                + "{\"id\":\"langs\",\"title\":\"Languages\",\"type\":\"multi-checkbox\",\"default\":{\"en\":true},"
                + "\"description\":\"\",\"options\":[{\"name\":\"English\",\"value\":\"en\"}],\"placeholder\":\"\","
                + "\"label\":\"\",\"notify\":false}]}}");
        assertTrue(fake.registered("settings").containsKey("transcriber_admin"));
        assertTrue(nc.ui().settings().unregister("transcriber_admin"));
        assertCall(last(), "DELETE", API + "/ui/settings", "", null);
        assertEquals(Optional.of("transcriber_admin"), last().queryParam("formId"));
        assertFalse(nc.ui().settings().unregister("transcriber_admin"));
        assertEquals(11, SettingsFieldType.values().length);
        assertThrows(IllegalArgumentException.class,
                () -> SettingsField.builder("r", "R", SettingsFieldType.RADIO).build(), "choices need options");
    }

    @Test
    void fileActionsUseV2ToRegisterAndV1ToRemove() {
        nc.ui().fileActions().register(FileAction.builder("transcribe", "Transcribe", "/api/transcribe")
                .mime("audio/mpeg,audio/ogg").icon("img/mic.svg").permissions(1).order(5).build());
        assertCall(last(), "POST", "/ocs/v1.php/apps/app_api/api/v2/ui/files-actions-menu", "",
                "{\"name\":\"transcribe\",\"displayName\":\"Transcribe\",\"actionHandler\":\"/api/transcribe\","
                        + "\"icon\":\"img/mic.svg\",\"mime\":\"audio/mpeg,audio/ogg\",\"permissions\":1,\"order\":5}");
        assertTrue(nc.ui().fileActions().unregister("transcribe"));
        assertCall(last(), "DELETE", API + "/ui/files-actions-menu", "", "{\"name\":\"transcribe\"}");
        assertFalse(nc.ui().fileActions().unregister("transcribe"));
        FileAction defaults = FileAction.builder("a", "A", "/h").build();
        assertEquals("file", defaults.mime());
        assertEquals(31, defaults.permissions());
    }

    @Test
    void occCommandsRegisterWithArgumentsAndOptions() {
        OccCommand cmd = OccCommand.builder("transcriber:reindex", "/occ/reindex").description("Reindex files")
                .argument(OccArgument.required("user", "The user"))
                .argument(OccArgument.optional("limit", "At most", 10))
                .option(new OccOption("dry-run", "n", "Only show", OccOption.Mode.NONE, null))
                .option(new OccOption("lang", "", "Language", OccOption.Mode.REQUIRED, Fixture.tree("\"en\"")))
                .usage("transcriber:reindex alice --dry-run").hidden(true).build();
        nc.occCommands().register(cmd);
        assertCall(last(), "POST", API + "/occ_command", "", "{\"name\":\"transcriber:reindex\","
                + "\"description\":\"Reindex files\",\"hidden\":1,\"arguments\":["
                + "{\"name\":\"user\",\"description\":\"The user\",\"mode\":\"required\",\"default\":null},"
                + "{\"name\":\"limit\",\"description\":\"At most\",\"mode\":\"optional\",\"default\":10}],"
                + "\"options\":[{\"name\":\"dry-run\",\"shortcut\":\"n\",\"description\":\"Only show\",\"mode\":\"none\",\"default\":null},"
                + "{\"name\":\"lang\",\"shortcut\":null,\"description\":\"Language\",\"mode\":\"required\",\"default\":\"en\"}],"
                + "\"usages\":[\"transcriber:reindex alice --dry-run\"],\"execute_handler\":\"/occ/reindex\"}");
        nc.occCommands().register(OccCommand.builder("transcriber:ping", "/occ/ping").build());
        assertCall(last(), "POST", API + "/occ_command", "", "{\"name\":\"transcriber:ping\",\"description\":\"\","
                + "\"hidden\":0,\"execute_handler\":\"/occ/ping\"}");
        assertTrue(nc.occCommands().unregister("transcriber:ping"));
        assertCall(last(), "DELETE", API + "/occ_command", "", null);
        assertEquals(Optional.of("transcriber:ping"), last().queryParam("name"));
        assertFalse(nc.occCommands().unregister("transcriber:ping"));
    }
}
