package org.harpjava.exapp.manifest;

import org.harpjava.exapp.Route;
import org.harpjava.exapp.WebSocketRoute;
import org.harpjava.exapp.routes.DeclaredRoute;
import org.harpjava.exapp.routes.RouteScanner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the classes of a build's output directory ({@code target/classes}) that declare {@link Route} or
 * {@link WebSocketRoute} methods.
 *
 * <p>Only classes whose class file names one of the two annotations are loaded, so the rest of the output (and what
 * it depends on) need not be loadable. Classes are loaded without being initialised.
 */
public final class ClassScanner {
    private static final List<byte[]> MARKERS = List.of(descriptor(Route.class), descriptor(WebSocketRoute.class));

    private ClassScanner() {
    }

    /**
     * The classes under {@code classesDir} with at least one route method, sorted by name.
     *
     * @param classesDir a directory of compiled classes, laid out by package
     * @param loader     a class loader that sees those classes and their dependencies, and that resolves
     *                   {@code org.harpjava.exapp.Route} to the same class as this scanner does (that is, delegates
     *                   the SDK to a parent shared with the scanner)
     * @throws IllegalArgumentException when a class cannot be loaded, or {@code loader} has its own copy of the SDK
     */
    public static List<Class<?>> routeClasses(Path classesDir, ClassLoader loader) throws IOException {
        checkSameSdk(loader);
        if (!Files.isDirectory(classesDir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classesDir)) {
            for (Path file : (Iterable<Path>) files.filter(ClassScanner::isClassFile).sorted()::iterator) {
                if (mentionsRouteAnnotation(Files.readAllBytes(file))) {
                    names.add(className(classesDir, file));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("cannot load " + name + " to read its routes: " + e, e);
            }
            if (hasRouteMethod(type)) {
                classes.add(type);
            }
        }
        classes.sort(Comparator.comparing(Class::getName));
        return List.copyOf(classes);
    }

    /**
     * The routes declared by every class under {@code classesDir}, checked by {@link RouteScanner}: class by class
     * in name order, each in {@link RouteScanner#scan(Class)}'s order.
     *
     * @throws IllegalArgumentException when a class cannot be loaded or declares an invalid route
     */
    public static List<DeclaredRoute> routes(Path classesDir, ClassLoader loader) throws IOException {
        List<DeclaredRoute> routes = new ArrayList<>();
        for (Class<?> type : routeClasses(classesDir, loader)) {
            routes.addAll(RouteScanner.scan(type));
        }
        return List.copyOf(routes);
    }

    private static boolean hasRouteMethod(Class<?> type) {
        Method[] methods;
        try {
            methods = type.getDeclaredMethods();
        } catch (LinkageError e) {
            throw new IllegalArgumentException("cannot read the methods of " + type.getName()
                    + " (is a dependency missing from the class path?): " + e, e);
        }
        for (Method m : methods) {
            if (m.isAnnotationPresent(Route.class) || m.isAnnotationPresent(WebSocketRoute.class)) {
                return true;
            }
        }
        return false;
    }

    private static void checkSameSdk(ClassLoader loader) {
        Class<?> seen;
        try {
            seen = Class.forName(Route.class.getName(), false, loader);
        } catch (ClassNotFoundException e) {
            // The classes cannot use the annotations then, and none will be found.
            return;
        }
        if (seen != Route.class) {
            throw new IllegalArgumentException("the class loader has its own copy of " + Route.class.getName()
                    + "; it must delegate the SDK to a parent shared with the scanner, or no route would be seen");
        }
    }

    private static boolean isClassFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".class") && !name.equals("module-info.class") && !name.equals("package-info.class")
                && Files.isRegularFile(file);
    }

    private static String className(Path root, Path file) {
        Path relative = root.relativize(file);
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(part);
        }
        return name.substring(0, name.length() - ".class".length());
    }

    /** Whether the constant pool holds the descriptor of either annotation (false positives are fine). */
    static boolean mentionsRouteAnnotation(byte[] classFile) {
        for (byte[] marker : MARKERS) {
            if (indexOf(classFile, marker) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] descriptor(Class<?> annotation) {
        return ("L" + annotation.getName().replace('.', '/') + ";").getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
