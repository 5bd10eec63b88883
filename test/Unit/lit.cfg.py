# Runs every GoogleTest binary named *Tests under build/unittests, one lit
# test per GoogleTest case, so the summary counts them individually.
import os
import lit.formats

config.name = "Strata-Unit"
config.suffixes = []
config.test_source_root = os.path.join(config.strata_obj_root, "unittests")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
