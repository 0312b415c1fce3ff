public class Dummy {}
