// Package textmatch is the matching machinery of the layouts and the
// classification: regular expressions with a literal prefilter (Pattern,
// FoldPattern), lists of them whose literals one pass over a text finds
// (Set), and helpers that run an expression only where its literals
// occur or only on marked lines.
//
// Enters: expressions (at package initialisation) and text. Leaves:
// match offsets and submatches. It holds no rule of its own: the phrases
// live with the layout or rule that uses them.
package textmatch
