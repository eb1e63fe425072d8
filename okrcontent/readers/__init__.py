"""One module a format, each turning text into the model; readers never import writers."""
