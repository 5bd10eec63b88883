// Placeholder until the Sema library lands.
