"""Qt-free core: document model, parsers and importers, library, annotations, exporters."""
