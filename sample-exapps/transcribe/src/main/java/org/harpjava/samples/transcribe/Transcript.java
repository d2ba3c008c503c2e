package org.harpjava.samples.transcribe;

import java.util.List;

/**
 * What was said.
 *
 * @param text     the whole text
 * @param segments the text in pieces with their times, when the engine gives them
 */
public record Transcript(String text, List<Segment> segments) {
    /** A piece of the transcript, from {@code start} to {@code end} seconds into the audio. */
    public record Segment(double start, double end, String text) {
    }
}
