package org.harpjava.exapp.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.harpjava.exapp.manifest.InfoXmlRoutes;
import org.harpjava.exapp.routes.DeclaredRoute;

import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * Writes the routes the ExApp's classes declare into {@code info.xml}, replacing its
 * {@code <external-app><routes>} element and leaving the rest of the file as it was.
 */
@Mojo(name = "routes", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public class RoutesMojo extends AbstractRoutesMojo {
    /**
     * The copy of {@code info.xml} that the build already put among the classes (resources are copied before
     * compiling); updated too when it exists, so that what is packaged has the new routes.
     */
    @Parameter(defaultValue = "${project.build.outputDirectory}/appinfo/info.xml")
    File builtInfoXml;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping the routes of info.xml");
            return;
        }
        if (!infoXml.isFile()) {
            throw new MojoFailureException("no info.xml at " + shown(infoXml)
                    + "; set <infoXml> to where the ExApp's appinfo/info.xml is");
        }
        List<DeclaredRoute> declared = declaredRoutes();
        log(InfoXmlRoutes.lintDeclared(declared));
        if (write(infoXml, declared)) {
            getLog().info("Wrote " + InfoXmlRoutes.toManifest(declared).size() + " routes into " + shown(infoXml));
        } else {
            getLog().info("The routes of " + shown(infoXml) + " are up to date");
        }
        if (builtInfoXml != null && builtInfoXml.isFile()
                && !builtInfoXml.getAbsoluteFile().equals(infoXml.getAbsoluteFile())
                && write(builtInfoXml, declared)) {
            getLog().debug("Updated the routes of " + shown(builtInfoXml));
        }
    }

    private boolean write(File file, List<DeclaredRoute> declared) throws MojoExecutionException, MojoFailureException {
        try {
            return InfoXmlRoutes.write(file.toPath(), declared);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(shown(file) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + shown(file) + ": " + e.getMessage(), e);
        }
    }
}
