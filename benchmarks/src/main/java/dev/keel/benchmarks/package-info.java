/**
 * JMH microbenchmarks. Build with {@code mvn -B -q package -DskipTests}, then run
 * {@code java -jar benchmarks/target/benchmarks.jar <BenchmarkName> -prof gc}. Figures and the machine they
 * were measured on go in {@code docs/benchmarks.md}.
 */
package dev.keel.benchmarks;
