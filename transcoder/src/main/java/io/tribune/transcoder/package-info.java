/**
 * The town-hall transcoder service. {@link io.tribune.transcoder.TranscoderApplication} wires one
 * {@link io.tribune.transcoder.TownHallTranscoder} per configured town hall:
 *
 * <pre>
 * presenter --SRT (stream key)--> SrtInput: srtsrc ! decodebin (one decode) ! scale to top rung ! intervideo/audiosink
 *                                                                                      |
 * LadderPipeline: slate + intervideosrc ! compositor ! tee ! per rung: scale ! x264enc ! appsink ; AAC ! appsink
 *                                                                                      |
 *              AppSinkTrack (running time, capture time) --> PackagerConnection --ingest v1--> hls-packager
 * </pre>
 *
 * The input side restarts for every presenter; the ladder side keeps a steady timeline and is rebuilt only when
 * it fails (then after a DISCONTINUITY).
 */
package io.tribune.transcoder;
