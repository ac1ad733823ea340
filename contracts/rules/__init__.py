"""Pure rules: values in, values out, no database and no Flask."""
