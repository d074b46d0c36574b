import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The baseline of bench/cli-startup.sh: a picocli command that parses one option and prints a line. */
@Command(name = "hello", mixinStandardHelpOptions = true)
public class HelloPicocli implements Callable<Integer> {

    @Option(names = {"-p", "--project"})
    String project;

    @Override
    public Integer call() {
        System.out.println("hello " + project);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HelloPicocli()).execute(args));
    }
}
