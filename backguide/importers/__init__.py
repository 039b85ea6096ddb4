"""The pieces of :mod:`backguide.importing`: the readers of a source and the words it maps."""
