"""The stages of reading a document, one module each; graph.extract lists them in order."""
