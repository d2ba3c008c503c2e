package org.harpjava.exapp.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.harpjava.exapp.manifest.ClassScanner;
import org.harpjava.exapp.manifest.Finding;
import org.harpjava.exapp.routes.DeclaredRoute;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/** What both goals share: where the classes and {@code info.xml} are, and how the declared routes are read. */
abstract class AbstractRoutesMojo extends AbstractMojo {
    /** The compiled classes of the ExApp, searched for {@code @Route} and {@code @WebSocketRoute} methods. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    File classesDirectory;

    /** The class path the ExApp's classes are loaded with: its compile class path. */
    @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true, required = true)
    List<String> classpathElements;

    /** The ExApp's {@code info.xml}. */
    @Parameter(property = "exapp.infoXml", defaultValue = "${project.basedir}/src/main/resources/appinfo/info.xml",
            required = true)
    File infoXml;

    /** Skips the goal. */
    @Parameter(property = "exapp.skip", defaultValue = "false")
    boolean skip;

    /** The routes the ExApp's classes declare, in the order {@link ClassScanner#routes} gives them. */
    List<DeclaredRoute> declaredRoutes() throws MojoExecutionException, MojoFailureException {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(classesDirectory.toURI().toURL());
            for (String element : classpathElements) {
                urls.add(new File(element).toURI().toURL());
            }
        } catch (MalformedURLException e) {
            throw new MojoExecutionException("bad class path element: " + e.getMessage(), e);
        }
        // The plugin's own SDK comes first, so the annotations the classes carry are the ones the scanner looks for.
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader())) {
            List<DeclaredRoute> routes = ClassScanner.routes(classesDirectory.toPath(), loader);
            getLog().debug("routes declared in " + classesDirectory + ": " + routes.size());
            return routes;
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read " + classesDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Logs findings at their level. */
    void log(List<Finding> findings) {
        for (Finding f : findings) {
            switch (f.severity()) {
                case ERROR -> getLog().error(f.message());
                case WARNING -> getLog().warn(f.message());
                case NOTE -> getLog().info(f.message());
            }
        }
    }

    /** A path for messages: relative to the working directory when it lies below it. */
    static String shown(File file) {
        File cwd = new File("").getAbsoluteFile();
        String abs = file.getAbsolutePath();
        return abs.startsWith(cwd.getPath() + File.separator) ? abs.substring(cwd.getPath().length() + 1) : abs;
    }
}
