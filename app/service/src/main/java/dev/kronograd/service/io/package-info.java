/**
 * The JSON case format shared by the command line and the HTTP service (documented for users in docs/case-format.md):
 * {@link dev.kronograd.service.io.CaseReader} validates a case into a
 * {@link dev.kronograd.service.io.GradientCase}, reporting every problem as a
 * {@link dev.kronograd.service.io.CaseFormatException} that names the JSON field;
 * {@link dev.kronograd.service.io.CaseWriter} writes results (and cases) with full double precision.
 */
package dev.kronograd.service.io;
