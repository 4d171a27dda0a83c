fn main() {
    for w in std::env::args().skip(1) {
        println!("{w} -> {}", factbot::text::stem_word(&w));
    }
}
