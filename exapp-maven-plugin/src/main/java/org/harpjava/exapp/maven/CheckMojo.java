package org.harpjava.exapp.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.harpjava.exapp.manifest.Finding;
import org.harpjava.exapp.manifest.InfoXmlRoutes;
import org.harpjava.exapp.routes.DeclaredRoute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails the build when the routes of {@code info.xml} are invalid (as AppAPI would find them) or differ from the
 * routes the ExApp's classes declare, listing every problem.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public class CheckMojo extends AbstractRoutesMojo {
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping the check of info.xml");
            return;
        }
        if (!infoXml.isFile()) {
            throw new MojoFailureException("no info.xml at " + shown(infoXml)
                    + "; set <infoXml> to where the ExApp's appinfo/info.xml is");
        }
        List<DeclaredRoute> declared = declaredRoutes();
        InfoXmlRoutes.Manifest manifest;
        try {
            manifest = InfoXmlRoutes.read(infoXml.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read " + shown(infoXml) + ": " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Finding f : manifest.findings()) {
            if (f.isError()) {
                problems.add(f.message());
            }
        }
        problems.addAll(InfoXmlRoutes.compare(declared, manifest.routes()));
        List<Finding> advice = new ArrayList<>(manifest.findings().stream().filter(f -> !f.isError()).toList());
        advice.addAll(InfoXmlRoutes.lint(manifest.routes()));
        log(advice);
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("The routes of ").append(shown(infoXml))
                    .append(" do not match the code (").append(problems.size())
                    .append(problems.size() == 1 ? " problem" : " problems").append("):");
            for (String p : problems) {
                message.append(System.lineSeparator()).append("  - ").append(p);
            }
            message.append(System.lineSeparator())
                    .append("To rewrite them from the code: mvn process-classes with the routes goal bound, or")
                    .append(" mvn compile org.harpjava:exapp-maven-plugin:routes");
            throw new MojoFailureException(message.toString());
        }
        getLog().info("The " + manifest.routes().size() + " routes of " + shown(infoXml) + " match the code");
    }
}
