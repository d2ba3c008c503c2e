package org.harpjava.server.docker;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The Docker Engines this server manages, each under the port number AppAPI addresses it by. */
public final class DockerEngines {
    /** The port of the local engine, as in HaRP (its bundled tunnel to the mounted socket). */
    public static final int LOCAL_PORT = 24000;

    private final Map<Integer, EngineClient> byPort = new TreeMap<>();

    /**
     * @param engines        port and address of each engine
     * @param connectTimeout limit for opening a connection to an engine
     */
    public DockerEngines(Map<Integer, EngineAddress> engines, Duration connectTimeout) {
        engines.forEach((port, address) -> byPort.put(port, new EngineClient(port, address, connectTimeout)));
    }

    public Optional<EngineClient> find(int port) {
        return Optional.ofNullable(byPort.get(port));
    }

    public Collection<EngineClient> all() {
        return List.copyOf(byPort.values());
    }

    public boolean isEmpty() {
        return byPort.isEmpty();
    }
}
