"""One module a format, each turning the model into text; writers never import readers."""
