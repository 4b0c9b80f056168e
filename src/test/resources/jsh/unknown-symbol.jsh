// Compiles as Java text but calls a method the API does not have (line 3).
m.livepatch();
m.frobnicate();
