"""ckg: a knowledge graph of conflict reporting.

The folders of the source tree install as one package: ``ckg.ontology`` (the OWL file, the
vocabulary and the reference data), ``ckg.graph`` (documents in, triples out, the store),
``ckg.server`` (HTTP) and ``ckg.queries`` (the analysts' named queries); ``ckg.cli`` is the
command line. Imports run one way: cli → server → graph → ontology.
"""
