"""Excel import and export of the registry: the template, the importer and the exports."""
