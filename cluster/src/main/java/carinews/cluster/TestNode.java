package carinews.cluster;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One node of carinews' local OpenSearch test cluster, in a JVM of its own.
 *
 * <p>Steps, in the order of {@link #main}: read the node's home folder (its
 * {@code config/opensearch.yml} and {@code config/log4j2.properties}, written by
 * {@code cluster/opensearch.sh}); configure logging from it; construct an OpenSearch
 * {@link Node} with the HTTP/transport layer (netty4) and the common analyzers loaded from
 * the classpath; start it; wait until the JVM is asked to stop (SIGTERM), then close the node
 * so that it leaves the cluster cleanly.
 *
 * <p>Why not OpenSearch's own {@code org.opensearch.bootstrap.OpenSearch} main: it expects an
 * installed distribution (modules/ and plugins/ folders with descriptors), refuses to run as
 * root (CI runs as root) and installs a security manager and a seccomp filter meant for
 * production hosts. A test cluster bound to loopback needs none of that, so this launcher
 * builds the {@link Environment} the same way and skips those steps; OpenSearch's bootstrap
 * checks are part of the same skipped bootstrap.
 */
public final class TestNode {

    /** The plugins a carinews test node loads from the classpath instead of plugins/ folders. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

    /** How long a stopping node may take to close before the JVM exits anyway. */
    static final long CLOSE_TIMEOUT_SECONDS = 30;

    private TestNode() {}

    /** A Node whose plugins are given as classes; Node's constructor for that is protected. */
    static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -jar carinews-test-node.jar NODE_HOME (with NODE_HOME/config/opensearch.yml)");
            System.exit(2);
        }
        try {
            LogConfigurator.registerErrorListener();
            Environment environment = readEnvironment(Paths.get(args[0]).toAbsolutePath());
            configureLogging(environment);
            Node node = new ClasspathPluginNode(environment, PLUGINS);
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node, closed), "carinews-node-close"));
            node.start();
            closed.await();
        } catch (Exception | LinkageError e) {
            System.err.println("carinews test node failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The node's settings: opensearch.yml from NODE_HOME/config, with path.home set to NODE_HOME. */
    static Environment readEnvironment(Path home) {
        Settings input = Settings.builder().put(Environment.PATH_HOME_SETTING.getKey(), home.toString()).build();
        return InternalSettingsPreparer.prepareEnvironment(
            input,
            Collections.emptyMap(),
            home.resolve("config"),
            () -> home.getFileName().toString()
        );
    }

    /** Logging as OpenSearch's bootstrap sets it up: from the log4j2.properties in the config folder. */
    static void configureLogging(Environment environment) throws Exception {
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.configure(environment);
    }

    /** Closes the node on JVM shutdown and lets the main thread end. */
    static void close(Node node, CountDownLatch closed) {
        try {
            node.close();
            node.awaitClose(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("carinews test node did not close cleanly: " + e);
        } finally {
            closed.countDown();
        }
    }
}
