package org.harpjava.exapp.nextcloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@code occ} command the ExApp provides. When it runs, AppAPI posts
 * {@code {"occ":{"arguments":{...}|null,"options":{...}|null}}} to {@code executeHandler} and prints what the
 * handler streams back; any status but 200 makes the command fail.
 *
 * @param name           the command, such as {@code myapp:reindex}
 * @param description    the help line
 * @param hidden         whether {@code occ list} leaves it out
 * @param arguments      positional arguments
 * @param options        options
 * @param usages         usage examples
 * @param executeHandler the ExApp path AppAPI posts to
 */
public record OccCommand(String name, String description, boolean hidden, List<OccArgument> arguments,
                         List<OccOption> options, List<String> usages, String executeHandler) {
    public OccCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executeHandler, "executeHandler");
        description = description == null ? "" : description;
        arguments = List.copyOf(arguments == null ? List.of() : arguments);
        options = List.copyOf(options == null ? List.of() : options);
        usages = List.copyOf(usages == null ? List.of() : usages);
    }

    /** A builder for the command {@code name} handled at {@code executeHandler}. */
    public static Builder builder(String name, String executeHandler) {
        return new Builder(name, executeHandler);
    }

    /** Builds an {@link OccCommand}. */
    public static final class Builder {
        private final String name;
        private final String executeHandler;
        private String description = "";
        private boolean hidden;
        private final List<OccArgument> arguments = new ArrayList<>();
        private final List<OccOption> options = new ArrayList<>();
        private final List<String> usages = new ArrayList<>();

        private Builder(String name, String executeHandler) {
            this.name = name;
            this.executeHandler = executeHandler;
        }

        /** The help line. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Leaves the command out of {@code occ list}. */
        public Builder hidden(boolean hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Adds a positional argument. */
        public Builder argument(OccArgument argument) {
            arguments.add(argument);
            return this;
        }

        /** Adds an option. */
        public Builder option(OccOption option) {
            options.add(option);
            return this;
        }

        /** Adds a usage example. */
        public Builder usage(String usage) {
            usages.add(usage);
            return this;
        }

        /** The command. */
        public OccCommand build() {
            return new OccCommand(name, description, hidden, arguments, options, usages, executeHandler);
        }
    }
}
