import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.vocabulary.OWL;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.StringDocumentSource;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.PrefixManager;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * Loads ontology files the way Protégé does (through the OWL API) and reports what the OWL API
 * made of them, so that tests can tell whether Protégé would open, understand and save them intact.
 *
 * <pre>
 * OwlApiCheck check FILE [FILE...]      one JSON report; several files are merged as RDF first
 * OwlApiCheck save FILE OUT rdfxml|turtle   re-save as Protégé does, then the JSON report of FILE
 * </pre>
 * Exit 0 on success, 2 when a file cannot be loaded or saved, 1 on bad usage.
 */
public final class OwlApiCheck {

    private static final int SAMPLE = 10;

    private OwlApiCheck() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || !(args[0].equals("check") || args[0].equals("save"))) {
            usage("expected a mode (check or save) and at least one file");
        }
        try {
            if (args[0].equals("check")) {
                List<File> files = new ArrayList<>();
                for (int i = 1; i < args.length; i++) {
                    files.add(existing(args[i]));
                }
                System.out.println(toJson(report(load(OWLManager.createOWLOntologyManager(), files))));
            } else {
                if (args.length != 4) {
                    usage("save takes FILE OUT FORMAT");
                }
                OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
                OWLOntology ontology = load(manager, List.of(existing(args[1])));
                save(manager, ontology, new File(args[2]), args[3]);
                System.out.println(toJson(report(ontology)));
            }
        } catch (Exception e) {
            System.err.println("OWL API could not process " + String.join(" ", args) + ": " + e);
            System.exit(2);
        }
    }

    private static void usage(String why) {
        System.err.println("usage: OwlApiCheck check FILE [FILE...] | OwlApiCheck save FILE OUT rdfxml|turtle (" + why + ")");
        System.exit(1);
    }

    private static File existing(String path) {
        File file = new File(path);
        if (!file.isFile()) {
            System.err.println("no such file: " + path);
            System.exit(2);
        }
        return file;
    }

    /** Offline loading: imports are never fetched, a missing one is not an error. */
    private static OWLOntologyLoaderConfiguration offline() {
        return new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
            .setFollowRedirects(false);
    }

    /**
     * Protégé's catalog: a catalog-v001.xml beside the file maps imported ontology IRIs to
     * local files, so that a file that imports another opens offline.
     */
    private static void useCatalog(OWLOntologyManager manager, File file) throws Exception {
        File catalog = new File(file.getAbsoluteFile().getParentFile(), "catalog-v001.xml");
        if (!catalog.isFile()) {
            return;
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(true);
        NodeList entries = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS("*", "uri");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            File target = new File(catalog.getParentFile(), entry.getAttribute("uri"));
            manager.getIRIMappers().add(new SimpleIRIMapper(IRI.create(entry.getAttribute("name")), IRI.create(target.toURI())));
        }
    }

    private static OWLOntology load(OWLOntologyManager manager, List<File> files) throws Exception {
        useCatalog(manager, files.get(0));
        OWLOntologyDocumentSource source = files.size() == 1
            ? new FileDocumentSource(files.get(0))
            : new StringDocumentSource(mergedTurtle(files), "urn:merged", new TurtleDocumentFormat(), null);
        return manager.loadOntologyFromOntologyDocument(source, offline());
    }

    /**
     * Several files as one RDF graph, the way they are reasoned over together. Only the first
     * file's ontology header is kept: the others' headers would otherwise compete for the
     * ontology IRI of the merged document.
     */
    private static String mergedTurtle(List<File> files) throws Exception {
        Model merged = new LinkedHashModel();
        for (int i = 0; i < files.size(); i++) {
            File file = files.get(i);
            RDFFormat format = Rio.getParserFormatForFileName(file.getName()).orElse(RDFFormat.TURTLE);
            Model model;
            try (InputStream in = new FileInputStream(file)) {
                model = Rio.parse(in, file.toURI().toString(), format);
            }
            if (i > 0) {
                Set<Resource> headers = new HashSet<>(model.filter(null, RDF.TYPE, OWL.ONTOLOGY).subjects());
                for (Resource header : headers) {
                    model.remove(header, null, null);
                }
            }
            merged.addAll(model);
            model.getNamespaces().forEach(merged::setNamespace);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Rio.write(merged, out, RDFFormat.TURTLE);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Save as Protégé does: the chosen syntax, carrying over the prefixes of the loaded document. */
    private static void save(OWLOntologyManager manager, OWLOntology ontology, File out, String name) throws Exception {
        OWLDocumentFormat target;
        switch (name) {
            case "rdfxml":
                target = new RDFXMLDocumentFormat();
                break;
            case "turtle":
                target = new TurtleDocumentFormat();
                break;
            default:
                throw new IllegalArgumentException("unknown output format '" + name + "' (expected rdfxml or turtle)");
        }
        OWLDocumentFormat loaded = manager.getOntologyFormat(ontology);
        if (loaded != null && loaded.isPrefixOWLDocumentFormat()) {
            PrefixManager prefixes = target.asPrefixOWLDocumentFormat();
            prefixes.copyPrefixesFrom(loaded.asPrefixOWLDocumentFormat());
        }
        manager.saveOntology(ontology, target, IRI.create(out.getAbsoluteFile().toURI()));
    }

    private static Map<String, Object> report(OWLOntology ontology) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ontologyIri", ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(null));
        r.put("versionIri", ontology.getOntologyID().getVersionIRI().map(IRI::toString).orElse(null));
        r.put("imports", ontology.imports().map(o -> o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(""))
            .sorted().collect(Collectors.toList()));
        r.put("missingImports", ontology.importsDeclarations().map(d -> d.getIRI().toString())
            .filter(iri -> ontology.imports().noneMatch(o -> o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("").equals(iri)))
            .sorted().collect(Collectors.toList()));
        OWLDocumentFormat format = ontology.getOWLOntologyManager().getOntologyFormat(ontology);
        r.put("format", format == null ? null : format.getKey());
        r.put("axioms", (long) ontology.getAxiomCount());
        r.put("logicalAxioms", (long) ontology.getLogicalAxiomCount());
        r.put("declarations", (long) ontology.getAxiomCount(AxiomType.DECLARATION));
        r.put("classes", ontology.classesInSignature().count());
        r.put("objectProperties", ontology.objectPropertiesInSignature().count());
        r.put("dataProperties", ontology.dataPropertiesInSignature().count());
        r.put("annotationProperties", ontology.annotationPropertiesInSignature().count());
        r.put("individuals", ontology.individualsInSignature().count());
        Optional<OWLOntologyLoaderMetaData> meta = format == null ? Optional.empty() : format.getOntologyLoaderMetaData();
        List<String> unparsed = meta.map(m -> m.getUnparsedTriples().map(Object::toString).collect(Collectors.toList()))
            .orElse(List.of());
        r.put("unparsedTriples", (long) unparsed.size());
        r.put("unparsedSample", unparsed.subList(0, Math.min(SAMPLE, unparsed.size())));
        List<String> guessed = meta.map(m -> m.getGuessedDeclarations().entries().stream()
                .map(e -> e.getKey() + " " + e.getValue().getSimpleName()).sorted().collect(Collectors.toList()))
            .orElse(List.of());
        r.put("guessedDeclarations", (long) guessed.size());
        r.put("guessedSample", guessed.subList(0, Math.min(SAMPLE, guessed.size())));
        OWLProfileReport dl = new OWL2DLProfile().checkOntology(ontology);
        List<String> violations = dl.getViolations().stream().map(OWLProfileViolation::toString).collect(Collectors.toList());
        r.put("dlProfileViolations", (long) violations.size());
        r.put("dlViolationSample", violations.subList(0, Math.min(SAMPLE, violations.size())));
        r.put("inDL", dl.isInProfile());
        return r;
    }

    private static String toJson(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).entrySet().stream()
                .map(e -> toJson(e.getKey().toString()) + ": " + toJson(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List) {
            return ((List<?>) value).stream().map(OwlApiCheck::toJson).collect(Collectors.joining(", ", "[", "]"));
        }
        StringBuilder s = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
            }
        }
        return s.append('"').toString();
    }
}
