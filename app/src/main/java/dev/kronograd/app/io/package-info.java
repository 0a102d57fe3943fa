/**
 * The JSON case format shared by the command line and the HTTP service (DESIGN.md §5):
 * {@link dev.kronograd.app.io.CaseReader} validates a case into a
 * {@link dev.kronograd.app.io.GradientCase}, reporting every problem as a
 * {@link dev.kronograd.app.io.CaseFormatException} that names the JSON field;
 * {@link dev.kronograd.app.io.CaseWriter} writes results (and cases) with full double precision.
 */
package dev.kronograd.app.io;
